/** Table types of appointments, reminders and the message outbox (migration 0007-appointments). */

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AppointmentTables {}
