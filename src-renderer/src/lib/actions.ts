// Runs an API call that changes something and tells the user how it went (Mantine notification).
import { notifications } from '@mantine/notifications';
import type { MethodInput, MethodName, MethodOutput } from '../../../src-shared/api/contract';
import type { Result } from '../../../src-shared/api/result';
import { api } from '../api/client';
import { describeError } from './errors';

export interface ActionOptions<T> {
  /** Notification title on success (omit for silent success). */
  success?: string | ((value: T) => string);
  /** Title for the failure notification. */
  failure?: string;
  /** Handle validation errors on the form instead of a notification (return true if handled). */
  onError?: (result: Extract<Result<unknown>, { ok: false }>['error']) => boolean | void;
}

export async function runAction<M extends MethodName>(
  method: M,
  input: MethodInput<M>,
  options: ActionOptions<MethodOutput<M>> = {},
): Promise<Result<MethodOutput<M>>> {
  const result = await api.call(method, input);
  if (result.ok) {
    if (options.success) {
      const title =
        typeof options.success === 'function' ? options.success(result.value) : options.success;
      notifications.show({ color: 'green', title, message: '', autoClose: 3000 });
    }
  } else if (!options.onError?.(result.error)) {
    notifications.show({
      color: 'red',
      title: options.failure ?? 'That did not work',
      message: describeError(result.error),
      autoClose: 8000,
    });
  }
  return result;
}
