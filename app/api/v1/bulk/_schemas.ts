/** Path parameters of the bulk-operation routes. */
import { z } from "zod";

export const bulkParams = z.object({ id: z.uuid("a bulk operation id as returned by requeue or delete") });
