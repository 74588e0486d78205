/** Who may work with life events, to-dos and the timeline. */
import { definePermissions } from '../../platform/auth/permissions.js';

export const carePermissions = definePermissions({});
