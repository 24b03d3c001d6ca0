// A Personal Data Server configured by its PDS_* environment (tests/peers/pds.py sets it).
import { PDS } from '@atproto/pds';
await PDS.run({ onStarted: (pds) => console.log(`pds listening on ${pds.ctx.cfg.service.publicUrl}`) });
