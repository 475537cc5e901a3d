export { notificationRoutes } from './notifications.routes.ts';
export { notify, Outbox } from './notifications.service.ts';
export {
  externalChannels,
  InAppChannel,
  type NotificationChannel,
  type NotificationMessage,
  type StoredNotification,
  WebhookChannel,
} from './notifications.channels.ts';
