/** The questionnaire pages: /questionnaires/:key/new?participant=<id>. Loaded on demand. */
import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../errors/NotFoundPage';
import { AnswerQuestionnairePage } from './AnswerQuestionnairePage';

export default function QuestionnaireRoutes() {
  return (
    <Routes>
      <Route path=":key/new" element={<AnswerQuestionnairePage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
