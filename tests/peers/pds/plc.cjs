// A did:plc directory in memory for the tests (the same mock database @atproto/dev-env uses).
const { PlcServer, Database } = require('@did-plc/server');
const port = parseInt(process.env.PLC_PORT || '2582', 10);
(async () => {
  const server = PlcServer.create({ db: Database.mock(), port });
  await server.start();
  console.log(`plc listening on http://localhost:${port}`);
  const stop = async () => { await server.destroy(); process.exit(0); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
})();
