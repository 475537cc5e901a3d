import type { ErrorResponse } from '../../../../contracts/errors.ts';
import type { FileInfo, UploadFilesResponse } from '../../../../contracts/files.ts';
import { ApiError } from '../../../shared/api.ts';

function csrfToken(): string {
  return (
    document.cookie
      .split('; ')
      .find((c) => c.startsWith('cw_csrf='))
      ?.slice('cw_csrf='.length) ?? ''
  );
}

/**
 * Uploads one file to POST /api/files with progress (fetch cannot report upload progress, so
 * this is the one place that uses XMLHttpRequest). Rejects with the server's Chinese message.
 */
export function uploadWithProgress(file: File, onProgress: (percent: number) => void): Promise<FileInfo> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/files');
    xhr.withCredentials = true;
    xhr.setRequestHeader('x-csrf-token', csrfToken());
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.min(99, Math.round((e.loaded / e.total) * 100)));
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON */
      }
      if (xhr.status >= 200 && xhr.status < 300 && body) {
        onProgress(100);
        resolve((body as UploadFilesResponse).items[0]);
        return;
      }
      const err = (body as ErrorResponse | null)?.error;
      reject(new ApiError(xhr.status, err?.code ?? 'INTERNAL', err?.message ?? `上传失败（${xhr.status}）`, err?.details ?? []));
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', '网络异常，上传失败，请重试'));
    const form = new FormData();
    form.append('file', file, file.name || 'photo.jpg');
    xhr.send(form);
  });
}
