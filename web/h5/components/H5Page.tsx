import { LeftOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';

/** A mobile page: a red title bar (with a back arrow on inner pages) and a padded body. */
export function H5Page({ title, back, children, extra }: { title: string; back?: boolean; children: ReactNode; extra?: ReactNode }) {
  const navigate = useNavigate();
  return (
    <div className="h5">
      <div className="h5-bar">
        {back ? (
          <button type="button" className="h5-back" aria-label="返回" onClick={() => (history.length > 1 ? navigate(-1) : navigate('/'))}>
            <LeftOutlined />
          </button>
        ) : (
          <span className="h5-back" />
        )}
        <span className="h5-bar-title">{title}</span>
        <span className="h5-back">{extra}</span>
      </div>
      <div className="h5-content">{children}</div>
    </div>
  );
}
