// Time zone choices: Australian zones first (the product's market), then the rest.
const AU_FIRST = [
  'Australia/Sydney',
  'Australia/Melbourne',
  'Australia/Brisbane',
  'Australia/Adelaide',
  'Australia/Darwin',
  'Australia/Perth',
  'Australia/Hobart',
  'Australia/Lord_Howe',
  'Pacific/Auckland',
];

export function timeZoneOptions(current?: string): string[] {
  let all: string[] = [];
  try {
    all = Intl.supportedValuesOf('timeZone');
  } catch {
    all = [];
  }
  const rest = all.filter((z) => !AU_FIRST.includes(z));
  const list = [...AU_FIRST, ...rest];
  if (current && !list.includes(current)) list.unshift(current);
  return list;
}
