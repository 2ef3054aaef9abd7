import type { z } from 'zod';
import type { Role } from '../roles';

/**
 * Who may call a method. The dispatcher enforces this for every call, whatever the transport:
 * - 'public': anyone, even before login (setup status, login itself).
 * - 'authenticated': any logged-in user (the handler scopes what they see).
 * - a list of roles: only those. Site scoping (site administrators) is checked in the handler.
 */
export type Access = 'public' | 'authenticated' | readonly Role[];

export interface MethodDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  access: Access;
  /** Record successful calls in the audit log (every method that changes something). */
  audit: boolean;
  summary: string;
}

export const method = <I extends z.ZodType, O extends z.ZodType>(def: MethodDef<I, O>) => def;
