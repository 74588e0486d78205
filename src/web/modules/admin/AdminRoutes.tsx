/**
 * The admin area (administrators): people, organization settings, programs, sites and teams.
 * Loaded on demand; the server checks every request again.
 */
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, Route, Routes } from 'react-router';
import { AdminHomePage } from './AdminHomePage';
import { UsersPage } from './users/UsersPage';
import { NewUserPage } from './users/NewUserPage';
import { EditUserPage } from './users/EditUserPage';
import { OrganizationPage } from './OrganizationPage';
import { ProgramsPage } from './programs/ProgramsPage';
import { NewProgramPage, EditProgramPage } from './programs/ProgramFormPage';
import { SitesPage } from './sites/SitesPage';
import { NewSitePage, EditSitePage } from './sites/SiteFormPage';
import { TeamsPage } from './teams/TeamsPage';
import { NewTeamPage, EditTeamPage } from './teams/TeamFormPage';
import { NotFoundPage } from '../errors/NotFoundPage';

export const ADMIN_SECTIONS = [
  { to: '/admin/users', label: 'admin.users.title' },
  { to: '/admin/organization', label: 'admin.organization.title' },
  { to: '/admin/programs', label: 'admin.programs.title' },
  { to: '/admin/sites', label: 'admin.sites.title' },
  { to: '/admin/teams', label: 'admin.teams.title' },
] as const;

function AdminLayout() {
  const { t } = useTranslation();
  return (
    <div className="with-sidebar">
      <nav className="sub-nav" aria-label={t('admin.navLabel')}>
        <ul>
          <li>
            <NavLink to="/admin" end>
              {t('admin.overview')}
            </NavLink>
          </li>
          {ADMIN_SECTIONS.map((s) => (
            <li key={s.to}>
              <NavLink to={s.to}>{t(s.label)}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="with-sidebar-content">
        <Outlet />
      </div>
    </div>
  );
}

export default function AdminRoutes() {
  return (
    <Routes>
      <Route element={<AdminLayout />}>
        <Route index element={<AdminHomePage />} />
        <Route path="users" element={<UsersPage />} />
        <Route path="users/new" element={<NewUserPage />} />
        <Route path="users/:id" element={<EditUserPage />} />
        <Route path="organization" element={<OrganizationPage />} />
        <Route path="programs" element={<ProgramsPage />} />
        <Route path="programs/new" element={<NewProgramPage />} />
        <Route path="programs/:id" element={<EditProgramPage />} />
        <Route path="sites" element={<SitesPage />} />
        <Route path="sites/new" element={<NewSitePage />} />
        <Route path="sites/:id" element={<EditSitePage />} />
        <Route path="teams" element={<TeamsPage />} />
        <Route path="teams/new" element={<NewTeamPage />} />
        <Route path="teams/:id" element={<EditTeamPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
