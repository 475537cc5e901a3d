import type { FormInstance } from 'antd';
import { ApiError } from './api.ts';

/**
 * Shows a server error on the form: field errors beside their fields (paths like body.name),
 * the message otherwise. Returns the message for a toast.
 */
export function applyServerError(form: FormInstance, e: unknown): string {
  if (e instanceof ApiError) {
    const fields = e.details
      .filter((d) => d.path.startsWith('body.'))
      .map((d) => ({ name: d.path.slice(5).split('.'), errors: [d.message] }));
    if (fields.length) form.setFields(fields);
    return e.message;
  }
  return '网络异常，请稍后重试';
}
