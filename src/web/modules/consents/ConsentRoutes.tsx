/** Consent pages under /participants/:id/consents: record, print a consent, the accounting and its printable copy. */
import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../errors/NotFoundPage';
import { AccountingPage, AccountingPrintPage } from './AccountingPages';
import { NewConsentPage } from './NewConsentPage';
import { PrintConsentPage } from './PrintConsentPage';

export default function ConsentRoutes() {
  return (
    <Routes>
      <Route path="new" element={<NewConsentPage />} />
      <Route path="disclosures" element={<AccountingPage />} />
      <Route path="disclosures/print" element={<AccountingPrintPage />} />
      <Route path=":consentId/print" element={<PrintConsentPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
