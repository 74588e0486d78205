/** Development entry (`npm run dev`): the same server as `npm start`, restarted by tsx watch. */
import { main } from './main.js';

await main();
