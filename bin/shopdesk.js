#!/usr/bin/env node
// The `shopdesk` command. Runs the compiled CLI (npm install builds it via the prepare script).
process.env.DOTENV_CONFIG_QUIET ??= 'true';
import('../dist/cli/shopdesk-cli.js')
  .then((cli) => cli.main(process.argv))
  .catch((err) => {
    if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli')) {
      console.error('shopdesk is not built yet: run `npm run build` (npm install does it for you).');
    } else {
      console.error(err && err.message ? err.message : err);
    }
    process.exit(1);
  });
