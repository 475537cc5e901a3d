import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Image, Space, Tag, Tooltip, Upload, type UploadFile } from 'antd';
import type { UploadFilesResponse } from '../../../../contracts/files.ts';
import { type Issue, type IssueCategory, type IssueState, IssueStateLabels } from '../../../../contracts/issues.ts';
import { ApiError, api, get } from '../../../shared/api.ts';
import { formatDate, formatDateTime } from '../../../shared/format.ts';

/** One colour per state, used by tags, map markers and the legend. */
export const STATE_COLORS: Record<IssueState, string> = {
  reported: '#fa8c16',
  accepted: '#faad14',
  rejected: '#8c8c8c',
  merged: '#bfbfbf',
  dispatched: '#1677ff',
  returned: '#eb2f96',
  rectifying: '#722ed1',
  feedback: '#13c2c2',
  verified: '#52c41a',
  closed: '#389e0d',
};

export function StateTag({ state, extensionPending }: { state: IssueState; extensionPending?: boolean }) {
  return (
    <Space size={2} wrap>
      <Tag color={STATE_COLORS[state]} style={{ marginInlineEnd: 0 }} data-testid="issue-state">
        {IssueStateLabels[state]}
      </Tag>
      {extensionPending && <Tag color="gold">延期待批</Tag>}
    </Space>
  );
}

/** The deadline with its flags: 已超期 in red, 即将到期 in orange (when the server tells). */
export function DeadlineCell({ issue }: { issue: Pick<Issue, 'deadline' | 'isOverdue' | 'state'> & { isDueSoon?: boolean } }) {
  if (!issue.deadline) return <span style={{ color: '#999' }}>—</span>;
  const finished = ['closed', 'rejected', 'merged'].includes(issue.state);
  return (
    <Tooltip title={formatDateTime(issue.deadline)}>
      <span style={{ whiteSpace: 'nowrap', color: finished ? '#999' : undefined }}>{formatDate(issue.deadline)}</span>
      {issue.isOverdue && (
        <Tag color="red" style={{ marginInlineStart: 4 }}>
          已超期
        </Tag>
      )}
      {!issue.isOverdue && issue.isDueSoon && (
        <Tag color="orange" style={{ marginInlineStart: 4 }}>
          即将到期
        </Tag>
      )}
    </Tooltip>
  );
}

export function useCategories(includeInactive = false) {
  return useQuery({
    queryKey: ['issue-categories', includeInactive],
    queryFn: () => get<IssueCategory[]>(`/api/issue-categories${includeInactive ? '?includeInactive=true' : ''}`),
    staleTime: 60_000,
  });
}

/** Two-level options for a Cascader: 大类 → 小类 (a 大类 alone selects the whole class). */
export function categoryOptions(cats: IssueCategory[]) {
  return cats
    .filter((c) => !c.parentId)
    .map((top) => ({
      value: top.id,
      label: top.name,
      children: cats.filter((c) => c.parentId === top.id).map((c) => ({ value: c.id, label: c.name })),
    }));
}

/** The cascader path of a category id: [parent, child] or [top]. */
export function categoryPath(cats: IssueCategory[], id: string | undefined): string[] | undefined {
  if (!id) return undefined;
  const c = cats.find((x) => x.id === id);
  if (!c) return undefined;
  return c.parentId ? [c.parentId, c.id] : [c.id];
}

export type PhotoFile = UploadFile<UploadFilesResponse>;

/** The ids of the photos uploaded so far (failed or uploading ones left out). */
export const photoIds = (files: PhotoFile[] | undefined): string[] =>
  (files ?? []).filter((f) => f.status === 'done').map((f) => f.response?.items[0]?.id).filter((id): id is string => !!id);

/**
 * Photo picker that uploads each image at once to the files module (sniffed, size-limited
 * there); the form keeps the upload list and submits `photoIds(list)`.
 */
export function PhotoUpload({ value, onChange, max = 9, testId }: { value?: PhotoFile[]; onChange?: (v: PhotoFile[]) => void; max?: number; testId?: string }) {
  const { message } = App.useApp();
  return (
    <div data-testid={testId}>
      <Upload<UploadFilesResponse>
        listType="picture-card"
        accept=".jpg,.jpeg,.png,.webp,.heic,.heif"
        multiple
        fileList={value ?? []}
        onChange={({ fileList }) => onChange?.(fileList.slice(0, max))}
        customRequest={async ({ file, onSuccess, onError }) => {
          const form = new FormData();
          form.append('file', file as Blob);
          try {
            const res = await api<UploadFilesResponse>('POST', '/api/files', form);
            if (res.items[0]?.kind !== 'image') throw new ApiError(415, 'UNSUPPORTED', '只能上传图片');
            onSuccess?.(res);
          } catch (e) {
            const msg = e instanceof ApiError ? e.message : '上传失败';
            message.error(`${(file as File).name}：${msg}`);
            onError?.(e instanceof Error ? e : new Error(msg));
          }
        }}
      >
        {(value?.length ?? 0) >= max ? null : (
          <div>
            <PlusOutlined />
            <div style={{ marginTop: 4 }}>上传照片</div>
          </div>
        )}
      </Upload>
    </div>
  );
}

export type IssueFile = { id: string; originalName: string; contentUrl: string; thumbnailUrl: string | null };

/** Thumbnails that open the original in a preview. */
export function PhotoStrip({ files, size = 96, empty = '无照片', testId }: { files: IssueFile[]; size?: number; empty?: string; testId?: string }) {
  if (!files.length) return <span style={{ color: '#999' }}>{empty}</span>;
  return (
    <Image.PreviewGroup>
      <Space wrap size={6} data-testid={testId}>
        {files.map((f) => (
          <Image
            key={f.id}
            width={size}
            height={size}
            style={{ objectFit: 'cover', borderRadius: 4 }}
            src={f.thumbnailUrl ?? f.contentUrl}
            preview={{ src: f.contentUrl }}
            alt={f.originalName}
          />
        ))}
      </Space>
    </Image.PreviewGroup>
  );
}
