/** The resource directory's pages (search, an entry, edit, import). */
import { lazy } from 'react';
import { Route, Routes } from 'react-router';
import { SearchPage } from './SearchPage';
import { ServicePage } from './ServicePage';
import { EditServicePage, NewServicePage } from './EditServicePage';

// Managers' pages load only when opened: the coach's phone never downloads them.
const ImportPage = lazy(() => import('./ImportPage'));

export default function DirectoryRoutes() {
  return (
    <Routes>
      <Route index element={<SearchPage />} />
      <Route path="import" element={<ImportPage />} />
      <Route path="services/new" element={<NewServicePage />} />
      <Route path="services/:id" element={<ServicePage />} />
      <Route path="services/:id/edit" element={<EditServicePage />} />
    </Routes>
  );
}
