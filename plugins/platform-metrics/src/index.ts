export { platformMetricsPlugin as default } from './plugin';
export { platformMetricsApiRef } from './api';
