/** The reports pages, loaded on demand (a coach's phone never downloads them). */
import { lazy } from 'react';

export const ReportRoutes = lazy(() => import('./ReportRoutes'));
