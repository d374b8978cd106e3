import { startMailCatcher } from './mail-catcher';

// `npm start -w e2e/mail-catcher` — SMTP on MAIL_CATCHER_SMTP_PORT (1025), inbox on MAIL_CATCHER_HTTP_PORT (1080).
async function main(): Promise<void> {
  const catcher = await startMailCatcher({
    smtpPort: Number(process.env.MAIL_CATCHER_SMTP_PORT ?? 1025),
    httpPort: Number(process.env.MAIL_CATCHER_HTTP_PORT ?? 1080),
  });
  console.log(`Mail catcher: SMTP smtp://127.0.0.1:${catcher.smtpPort}  inbox ${catcher.httpUrl}`);
  const stop = (): void => void catcher.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
