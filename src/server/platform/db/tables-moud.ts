/** Table types of MOUD access and insurance navigation tasks (migration 0008-moud-access). */
import type { Generated } from 'kysely';

interface Stamped {
  created_by: string;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface MoudCoursesTable extends Stamped {
  id: string;
  organization_id: string;
  participant_id: string;
  medication: string;
  formulation: string;
  prescriber: string | null;
  prescriber_service_id: string | null;
  pharmacy: string | null;
  pharmacy_service_id: string | null;
  started_on: string | null;
  status: string;
  stopped_on: string | null;
  source: string;
  verified_by: string | null;
  covered_through: string | null;
  next_refill_due: string | null;
}

export interface MoudFillsTable extends Stamped {
  id: string;
  organization_id: string;
  participant_id: string;
  course_id: string;
  medication: string;
  filled_on: string;
  days_supply: number;
  days_supply_defaulted: Generated<number>;
  quantity: number | null;
  source: string;
  verified_by: string | null;
}

export interface MoudOtpEnrollmentsTable extends Stamped {
  id: string;
  organization_id: string;
  participant_id: string;
  course_id: string;
  started_on: string;
  ended_on: string | null;
  source: string;
  verified_by: string | null;
}

export interface MoudBarriersTable extends Stamped {
  id: string;
  organization_id: string;
  participant_id: string;
  course_id: string | null;
  kind: string;
  detail: string | null;
  status: string;
  noted_on: string;
  resolved_on: string | null;
  source: string;
  verified_by: string | null;
}

export interface InsuranceTasksTable extends Stamped {
  id: string;
  organization_id: string;
  participant_id: string;
  kind: string;
  detail: string | null;
  status: string;
  due_on: string | null;
  todo_id: string | null;
  completed_at: string | null;
  completed_by: string | null;
}

export interface MoudTables {
  moud_courses: MoudCoursesTable;
  moud_fills: MoudFillsTable;
  moud_otp_enrollments: MoudOtpEnrollmentsTable;
  moud_barriers: MoudBarriersTable;
  insurance_tasks: InsuranceTasksTable;
}
