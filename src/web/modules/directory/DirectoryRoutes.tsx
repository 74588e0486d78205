/** The resource directory's pages (search, an entry, edit, import). */
import { Route, Routes } from 'react-router';
import { ComingSoonPage } from '../home/ComingSoonPage';

export default function DirectoryRoutes() {
  return (
    <Routes>
      <Route index element={<ComingSoonPage area="directory" />} />
    </Routes>
  );
}
