/**
 * Who may work with referrals. Privacy officers read them (as they read the rest of the record);
 * coaches, supervisors and program managers make and follow them. A partner holds only
 * `partner.referrals`: the inbox of referrals SENT to the directory organization its account is
 * linked to (never a participant record). Linking partner accounts and the follow-up setting are
 * for those who set the program up.
 */
import { definePermissions } from '../../platform/auth/permissions.js';

export const referralsPermissions = definePermissions({
  'referrals.read': ['privacy_officer', 'program_manager', 'supervisor', 'coach'],
  'referrals.manage': ['program_manager', 'supervisor', 'coach'],
  'referrals.settings': ['admin', 'program_manager'],
  'partner_accounts.manage': ['admin', 'program_manager'],
  'partner.referrals': ['partner'],
});
