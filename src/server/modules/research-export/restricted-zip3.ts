/**
 * HIPAA Safe Harbor, 45 CFR 164.514(b)(2)(i)(B): the first three digits of a ZIP code may be kept
 * only where the area formed by all ZIP codes with those digits holds more than 20,000 people;
 * otherwise they become 000. These are the 3-digit prefixes that HHS guidance (2012, from 2000
 * Census data) names as 20,000 people or fewer. Shipped as data: nothing is fetched at run time.
 * The list depends on Census data and may change; update it here (and in docs/RESEARCH-EXPORT.md)
 * when HHS publishes a new one.
 */
export const RESTRICTED_ZIP3: readonly string[] = [
  '036',
  '059',
  '063',
  '102',
  '203',
  '556',
  '692',
  '790',
  '821',
  '823',
  '830',
  '831',
  '878',
  '879',
  '884',
  '890',
  '893',
];
