// Desktop-only preferences (start at login). They concern this machine's login session, not the
// building's data, so they live in a small JSON file beside the database rather than in it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DesktopSettings {
  openAtLogin: boolean;
}

const DEFAULTS: DesktopSettings = { openAtLogin: false };

export function loadDesktopSettings(dir: string): DesktopSettings {
  try {
    const raw: unknown = JSON.parse(readFileSync(join(dir, 'desktop-settings.json'), 'utf8'));
    if (raw && typeof raw === 'object' && 'openAtLogin' in raw) {
      return { openAtLogin: raw.openAtLogin === true };
    }
  } catch {
    // Missing or unreadable: defaults.
  }
  return { ...DEFAULTS };
}

export function saveDesktopSettings(dir: string, settings: DesktopSettings): void {
  writeFileSync(join(dir, 'desktop-settings.json'), JSON.stringify(settings, null, 2));
}
