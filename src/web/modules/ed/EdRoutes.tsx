/** ED bedside pages under /participants/:id/ed. */
import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../errors/NotFoundPage';

export default function EdRoutes() {
  return (
    <Routes>
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
