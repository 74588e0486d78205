/** Table types of questionnaires (migration 0011-questionnaires). */
import type { Generated } from 'kysely';

export interface QuestionnaireDefinitionsTable {
  id: string;
  organization_id: string | null;
  key: string;
  version: number;
  language: string;
  title: string;
  source: string | null;
  items: string;
  scoring: string;
  status: string;
  created_by: string | null;
  created_at: string;
}

export interface QuestionnaireResponsesTable {
  id: string;
  organization_id: string;
  participant_id: string;
  definition_id: string;
  questionnaire_key: string;
  answered_on: string;
  answers: string;
  score: number | null;
  flags: string;
  source: string;
  encounter_id: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface QuestionnaireTables {
  questionnaire_definitions: QuestionnaireDefinitionsTable;
  questionnaire_responses: QuestionnaireResponsesTable;
}
