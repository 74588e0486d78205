/** The participant page's appointments: upcoming and past, with reminders and the .ics download. */
export function AppointmentsSection(_props: { participantId: string }) {
  return null;
}
