import { createApp } from './app.ts';
import { log } from './logger.ts';

const port = Number(process.env.PORT ?? ${{ values.port }});
const server = createApp();
server.listen(port, () => log('info', 'listening', { port }));

process.on('SIGTERM', () => {
  server.drain();
  log('info', 'draining before shutdown');
  setTimeout(() => server.close(() => process.exit(0)), 5000).unref();
});
