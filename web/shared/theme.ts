import type { ThemeConfig } from 'antd';

/** 政务红 as the brand colour; Chinese system fonts first. */
export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#c8102e',
    borderRadius: 6,
    fontFamily:
      '-apple-system, BlinkMacSystemFont, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", sans-serif',
  },
};
