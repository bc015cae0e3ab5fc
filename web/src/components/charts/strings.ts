import { defineStrings } from '../../i18n/i18n.tsx';

export const chartStrings = defineStrings(
  {
    loadFailed: 'The chart could not be loaded. Reload the page to try again.',
  },
  {
    loadFailed: '图表加载失败，请刷新页面重试。',
  },
);
