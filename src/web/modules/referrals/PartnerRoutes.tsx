/** The partner's pages: the inbox (/partner) and one referral (/partner/referrals/:id). Loaded on demand. */
import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../errors/NotFoundPage';
import { PartnerInboxPage } from './PartnerInboxPage';
import { PartnerReferralPage } from './PartnerReferralPage';

export default function PartnerRoutes() {
  return (
    <Routes>
      <Route index element={<PartnerInboxPage />} />
      <Route path="referrals/:id" element={<PartnerReferralPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
