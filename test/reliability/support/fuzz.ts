// OCPP-J frame fuzzer: valid charger CALLs with mutated payloads, unknown actions, bad JSON,
// deep nesting, long and non-string ids, wrong message types. Each frame says whether it is a
// well-formed CALL with a usable id (OCPP-J: a string of at most 36 characters), i.e. one the
// central system must answer exactly once.
import type { Json } from './charger';
import type { Rng } from './prng';

export interface FuzzFrame {
  text: string;
  /** Set when the frame is a well-formed CALL with a usable id: it must be answered. */
  mustAnswer: string | null;
  kind: string;
}

/** The errors a 1.6J central system may answer with (1.6 spelling and the errata's). */
export const SPEC_ERROR_CODES = new Set([
  'NotImplemented',
  'NotSupported',
  'InternalError',
  'ProtocolError',
  'SecurityError',
  'FormationViolation',
  'FormatViolation',
  'PropertyConstraintViolation',
  'OccurrenceConstraintViolation',
  'TypeConstraintViolation',
  'GenericError',
]);

const NOW = '2026-12-01T00:00:00.000Z';

/** One valid payload per charger-initiated action (the base the mutations start from). */
function templates(): Record<string, Record<string, Json>> {
  return {
    Heartbeat: {},
    Authorize: { idTag: 'FUZZ-TAG' },
    StatusNotification: {
      connectorId: 1,
      errorCode: 'NoError',
      status: 'Available',
      timestamp: NOW,
    },
    StartTransaction: { connectorId: 1, idTag: 'FUZZ-TAG', meterStart: 100, timestamp: NOW },
    StopTransaction: { transactionId: 1, meterStop: 200, timestamp: NOW, reason: 'Local' },
    MeterValues: {
      connectorId: 1,
      transactionId: 1,
      meterValue: [
        {
          timestamp: NOW,
          sampledValue: [{ value: '150', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }],
        },
      ],
    },
    DataTransfer: { vendorId: 'com.example', messageId: 'x', data: 'y' },
    DiagnosticsStatusNotification: { status: 'Idle' },
    FirmwareStatusNotification: { status: 'Idle' },
    BootNotification: { chargePointVendor: 'Fuzz', chargePointModel: 'Mutant' },
  };
}

function nested(depth: number, leaf: Json = 1): string {
  return '['.repeat(depth) + JSON.stringify(leaf) + ']'.repeat(depth);
}

function weirdValue(r: Rng): Json {
  switch (r.int(0, 12)) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return r.pick([1e308, -1e308, 2 ** 63, -(2 ** 53) - 7, 2_147_483_648, -1, 0.5, 1e-300]);
    case 3:
      return 'x'.repeat(r.int(0, 20_000));
    case 4:
      return r.pick([
        '',
        ' ',
        'Charging',
        'charging',
        '2026-13-45T99:99:99Z',
        'NaN',
        '\u0000',
        '💥',
      ]);
    case 5:
      return [];
    case 6:
      return {};
    case 7:
      return { nested: { deeper: [1, 2, { x: 'y' }] } };
    case 8:
      return Array.from({ length: r.int(1, 50) }, () => r.int(0, 9));
    case 9:
      return r.int(-1_000_000, 1_000_000);
    case 10:
      return String(r.int(0, 1e9));
    case 11:
      return '1e400';
    default:
      return 'x';
  }
}

/** Mutates a payload in place: drop, retype, add, or deepen fields (recursively, sometimes). */
function mutate(r: Rng, value: Json, depth = 0): Json {
  if (Array.isArray(value)) {
    if (value.length > 0 && r.chance(0.6)) {
      const i = r.int(0, value.length - 1);
      value[i] = mutate(r, value[i] ?? null, depth + 1);
      return value;
    }
    return r.chance(0.5)
      ? weirdValue(r)
      : Array.from({ length: r.int(0, 300) }, () => value[0] ?? 1);
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    const times = r.int(1, 3);
    for (let t = 0; t < times; t++) {
      const key = keys.length > 0 ? r.pick(keys) : 'k';
      switch (r.int(0, 4)) {
        case 0:
          delete value[key];
          break;
        case 1:
          value[key] = weirdValue(r);
          break;
        case 2:
          value[`unknown${r.int(0, 99)}`] = weirdValue(r);
          break;
        default:
          value[key] = depth < 4 ? mutate(r, value[key] ?? null, depth + 1) : weirdValue(r);
      }
    }
    return value;
  }
  return weirdValue(r);
}

export function fuzzFrame(r: Rng, id: string): FuzzFrame {
  const base = templates();
  const action = r.pick(Object.keys(base));
  const payload = base[action] ?? {};
  switch (r.int(0, 15)) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
    case 5: {
      const text = JSON.stringify([2, id, action, mutate(r, payload)]);
      return { text, mustAnswer: id, kind: `mutated ${action}` };
    }
    case 6:
      return {
        text: JSON.stringify([2, id, action, weirdValue(r)]),
        mustAnswer: id,
        kind: 'payload not an object',
      };
    case 7: {
      const unknown = r.pick([
        'Teleport',
        'heartbeat',
        '',
        'A'.repeat(r.int(1, 5_000)),
        '__proto__',
        'constructor',
      ]);
      return {
        text: JSON.stringify([2, id, unknown, {}]),
        mustAnswer: id,
        kind: 'unknown action',
      };
    }
    case 8:
      // Deeply nested payload: a stack-overflow bait for recursive validators and clones.
      return {
        text: `[2,${JSON.stringify(id)},${JSON.stringify(action)},${nested(r.int(100, 5_000))}]`,
        mustAnswer: id,
        kind: 'deep nesting',
      };
    case 9: {
      const text = JSON.stringify([2, id, action, payload]);
      return {
        text: text.slice(0, r.int(0, text.length - 1)),
        mustAnswer: null,
        kind: 'truncated JSON',
      };
    }
    case 10:
      return {
        text: JSON.stringify([2, 'L'.repeat(r.int(37, 20_000)), action, payload]),
        mustAnswer: null,
        kind: 'long id',
      };
    case 11:
      return {
        text: JSON.stringify([2, r.pick([7, null, {}, [], true]), action, payload]),
        mustAnswer: null,
        kind: 'id not a string',
      };
    case 12:
      return {
        text: JSON.stringify([r.pick([0, 1, 5, '2', 3, 4, -1, 2.5]), id, action, payload]),
        mustAnswer: null,
        kind: 'wrong message type',
      };
    case 13:
      return {
        text: r.pick([
          '',
          'null',
          '{}',
          '[]',
          '"x"',
          '[2]',
          '[2,"a"]',
          '\u0000\u0001',
          'ÿ'.repeat(100),
        ]),
        mustAnswer: null,
        kind: 'not a frame',
      };
    case 14:
      return { text: nested(r.int(1_000, 20_000)), mustAnswer: null, kind: 'nested garbage' };
    default:
      // A valid CALL now and then (the charger is otherwise healthy).
      return {
        text: JSON.stringify([2, id, action, payload]),
        mustAnswer: id,
        kind: `valid ${action}`,
      };
  }
}
