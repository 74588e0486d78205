/** Who may work with encounters, addenda and the note review queue. */
import { definePermissions } from '../../platform/auth/permissions.js';

export const encounterPermissions = definePermissions({});
