/** The staff's referral pages: /referrals/new and /referrals/:id. Loaded on demand. */
import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../errors/NotFoundPage';
import { NewReferralPage } from './NewReferralPage';
import { ReferralPage } from './ReferralPage';

export default function ReferralRoutes() {
  return (
    <Routes>
      <Route path="new" element={<NewReferralPage />} />
      <Route path=":id" element={<ReferralPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
