/** Who may work with appointments, reminders and calendar feeds. */
import { definePermissions } from '../../platform/auth/permissions.js';

export const appointmentsPermissions = definePermissions({});
