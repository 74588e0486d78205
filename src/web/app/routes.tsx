/**
 * Every page and its address. Admin and audit pages load on demand, so a coach's phone never
 * downloads them.
 */
import { lazy } from 'react';
import { Route, Routes } from 'react-router';
import { Layout } from './shell/Layout';
import { RequireArea, RequirePermission, RequireSession } from './guards';
import { SignInPage } from '../modules/auth/SignInPage';
import { CodePage } from '../modules/auth/CodePage';
import { SetupPage } from '../modules/auth/SetupPage';
import { ResetPasswordPage } from '../modules/auth/ResetPasswordPage';
import { HomePage } from '../modules/home/HomePage';
import { ReportRoutes } from '../modules/reports/lazy';
import { NotFoundPage } from '../modules/errors/NotFoundPage';
import { AccountPage } from '../modules/account/AccountPage';
import { PasswordPage } from '../modules/account/PasswordPage';
import { TwoStepPage, MfaEnrolPage } from '../modules/account/TwoStepPage';
import { SessionsPage } from '../modules/account/SessionsPage';
import { OrganizationSwitchPage } from '../modules/account/OrganizationSwitchPage';
import { LanguagePage } from '../modules/account/LanguagePage';
import { PERMISSIONS as REFERRAL_PERMISSIONS } from '../modules/referrals/referrals.api';

const AdminRoutes = lazy(() => import('../modules/admin/AdminRoutes'));
const AuditPage = lazy(() => import('../modules/audit/AuditPage'));
const ParticipantRoutes = lazy(() => import('../modules/participants/ParticipantRoutes'));
const NotificationsPage = lazy(() => import('../modules/break-glass/NotificationsPage'));
const ReviewRoutes = lazy(() => import('../modules/encounters/ReviewRoutes'));
const TeamPage = lazy(() => import('../modules/outreach/TeamPage'));
const DirectoryRoutes = lazy(() => import('../modules/directory/DirectoryRoutes'));
const ReferralRoutes = lazy(() => import('../modules/referrals/ReferralRoutes'));
const PartnerRoutes = lazy(() => import('../modules/referrals/PartnerRoutes'));
const QuestionnaireRoutes = lazy(() => import('../modules/questionnaires/QuestionnaireRoutes'));
const CheckInRoutes = lazy(() => import('../modules/checkins/CheckInRoutes'));
const MilestoneRoutes = lazy(() => import('../modules/checkins/MilestoneRoutes'));
const RecoveryPlanRoutes = lazy(() => import('../modules/recovery-plans/RecoveryPlanRoutes'));
const ParticipantLinkRoutes = lazy(() => import('../modules/participant-links/ParticipantLinkRoutes'));
const LinkPage = lazy(() => import('../modules/participant-links/LinkPage'));
const CopingPlanRoutes = lazy(() => import('../modules/coping-plans/CopingPlanRoutes'));
const FederalTrackerPage = lazy(() => import('../modules/federal-follow-up/TrackerPage'));
const ImportHistoryPage = lazy(() => import('../modules/imports/ImportHistoryPage'));

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route path="sign-in" element={<SignInPage />} />
        <Route path="sign-in/code" element={<CodePage />} />
        <Route path="setup" element={<SetupPage />} />
        <Route path="reset-password" element={<ResetPasswordPage />} />
        <Route path="l" element={<LinkPage />} />
        <Route path="account/mfa-setup" element={<RequireSession state="enroll"><MfaEnrolPage /></RequireSession>} />
        <Route element={<RequireSession />}>
          <Route index element={<HomePage />} />
          <Route path="participants/*" element={<RequireArea area="participants"><ParticipantRoutes /></RequireArea>} />
          <Route path="directory/*" element={<RequireArea area="directory"><DirectoryRoutes /></RequireArea>} />
          <Route path="referrals/*" element={<RequirePermission permission={REFERRAL_PERMISSIONS.read}><ReferralRoutes /></RequirePermission>} />
          <Route path="questionnaires/*" element={<RequirePermission permission="questionnaires.answer"><QuestionnaireRoutes /></RequirePermission>} />
          <Route path="check-ins/*" element={<RequirePermission permission="checkins.write"><CheckInRoutes /></RequirePermission>} />
          <Route path="milestones/*" element={<RequirePermission permission="checkins.write"><MilestoneRoutes /></RequirePermission>} />
          <Route path="participant-links/*" element={<RequirePermission permission="participant_links.send"><ParticipantLinkRoutes /></RequirePermission>} />
          <Route path="recovery-plans/*" element={<RequirePermission permission="recovery_plans.read"><RecoveryPlanRoutes /></RequirePermission>} />
          <Route path="coping-plans/*" element={<RequirePermission permission="coping_plans.read"><CopingPlanRoutes /></RequirePermission>} />
          <Route path="partner/*" element={<RequireArea area="partner"><PartnerRoutes /></RequireArea>} />
          <Route path="reports/federal-follow-up" element={<RequirePermission permission="federal_follow_up.tracker"><FederalTrackerPage /></RequirePermission>} />
          <Route path="reports/*" element={<RequireArea area="reports"><ReportRoutes /></RequireArea>} />
          <Route path="team" element={<RequireArea area="team"><TeamPage /></RequireArea>} />
          <Route path="encounters/*" element={<ReviewRoutes />} />
          <Route path="notifications" element={<NotificationsPage />} />
          <Route path="account" element={<AccountPage />} />
          <Route path="account/password" element={<PasswordPage />} />
          <Route path="account/two-step" element={<TwoStepPage />} />
          <Route path="account/sessions" element={<SessionsPage />} />
          <Route path="account/organization" element={<OrganizationSwitchPage />} />
          <Route path="account/language" element={<LanguagePage />} />
          <Route path="admin/import" element={<RequirePermission permission="imports.run"><ImportHistoryPage /></RequirePermission>} />
          <Route path="admin/*" element={<RequirePermission permission="users.manage"><AdminRoutes /></RequirePermission>} />
          <Route path="audit" element={<RequirePermission permission="audit.search"><AuditPage /></RequirePermission>} />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
