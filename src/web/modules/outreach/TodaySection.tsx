/** The coach's "today" list on the home page (filled in by the outreach work). */
export function TodaySection() {
  return null;
}
