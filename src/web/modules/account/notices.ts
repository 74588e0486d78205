/** Confirmations the account page shows after a change made on one of its sub-pages. */
export type AccountNotice = 'passwordChanged' | 'mfaOn' | 'mfaOff' | 'languageSaved' | 'organizationSwitched';

export const ACCOUNT_NOTICE = {
  passwordChanged: 'account.notices.passwordChanged',
  mfaOn: 'account.notices.mfaOn',
  mfaOff: 'account.notices.mfaOff',
  languageSaved: 'account.notices.languageSaved',
  organizationSwitched: 'account.notices.organizationSwitched',
} as const satisfies Record<AccountNotice, string>;

export interface AccountState {
  notice?: AccountNotice;
}
