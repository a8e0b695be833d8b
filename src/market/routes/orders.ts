// Order book routes: publish a signed order of any kind (and POST /requests for requesters),
// query open orders per kind, read one order, and unpublish it with a signed message.
import express, { type Request, type Response } from "express";
import type { OrderKind } from "../../wire/eip712/index.ts";
import { parsePageQuery } from "../../http/pagination.ts";
import type { RouteModule } from "../../http/routeModule.ts";
import type { OrderBook } from "../book/OrderBook.ts";
import type { OrderIntake } from "../book/OrderIntake.ts";
import { signedOrderToJson, type SignedOrderJson } from "../../wire/marketApi/orderJson.ts";
import type { BookOrder } from "../book/orderRow.ts";
import { MarketError } from "../MarketError.ts";
import { orderNotFound, type OrderUnpublisher } from "../book/unpublish.ts";
import { parseOrderHash } from "./auditQuery.ts";
import { parseBookFilters } from "./orderQuery.ts";
import { ORDER_KINDS, ORDER_PATHS, ORDER_SCHEMAS_OPENAPI } from "./ordersOpenApi.ts";

export type OrderRoutesOptions = { book: OrderBook; intake: OrderIntake; unpublisher: OrderUnpublisher };

export type BookOrderJson = SignedOrderJson & { status: BookOrder["status"]; removedReason: BookOrder["removedReason"] };

export function bookOrderToJson(order: BookOrder): BookOrderJson {
  return { ...signedOrderToJson(order), status: order.status, removedReason: order.removedReason };
}

function kindParam(req: Request): OrderKind {
  const kind = String(req.params.kind);
  if (!(ORDER_KINDS as readonly string[]).includes(kind)) {
    throw new MarketError("UNKNOWN_ORDER_KIND", `there are no "${kind}" orders; use one of ${ORDER_KINDS.join(", ")}`, { kind });
  }
  return kind as OrderKind;
}

export function createOrderRoutes(options: OrderRoutesOptions): RouteModule {
  const { book, intake, unpublisher } = options;
  const router = express.Router();

  async function publish(kind: OrderKind, req: Request, res: Response): Promise<void> {
    const order = await intake.publish(kind, req.body);
    res.status(201).location(`/v1/orders/${kind}/${order.hash}`).json(bookOrderToJson({ ...order, status: "open", removedReason: null }));
  }

  router.post("/orders/:kind", (req, res) => publish(kindParam(req), req, res));
  router.post("/requests", (req, res) => publish("request", req, res));

  router.get("/orders/:kind", async (req, res) => {
    const kind = kindParam(req);
    const query = req.query as Record<string, unknown>;
    const filters = parseBookFilters(kind, query);
    const page = await book.query(kind, filters, parsePageQuery(query));
    res.json({ items: page.items.map(bookOrderToJson), nextCursor: page.nextCursor });
  });

  router.get("/orders/:kind/:hash", async (req, res) => {
    const kind = kindParam(req);
    const hash = parseOrderHash(req.params.hash);
    const order = await book.get(hash);
    if (!order || order.kind !== kind) throw orderNotFound(kind, hash);
    res.json(bookOrderToJson(order));
  });

  router.post("/orders/:kind/:hash/unpublish", async (req, res) => {
    const order = await unpublisher.unpublish(kindParam(req), parseOrderHash(req.params.hash), req.body);
    res.json(bookOrderToJson(order));
  });

  return { name: "orders", router, openapi: { paths: ORDER_PATHS, schemas: ORDER_SCHEMAS_OPENAPI } };
}
