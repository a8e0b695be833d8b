// Public API of the off-chain order book: its table and migration, the intake that validates
// orders, the store with its events, chain reads, unpublishing, and the JSON spelling of orders.
import { CreateBookOrders1795426066200 } from "./migrations/1795426066200-CreateBookOrders.ts";
import { BookOrderEntity } from "./orderEntity.ts";

export { BookOrderEntity, type BookOrderRow, type OrderStatus, type RemovalReason } from "./orderEntity.ts";
export { CreateBookOrders1795426066200 };
export { OrderRepository, sortOf, cursorOf, type BookFilters, type BookCursor, type BookSort } from "./OrderRepository.ts";
export { bookPrice, type BookOrder } from "./orderRow.ts";
export {
  OrderBook,
  encodeBookCursor,
  decodeBookCursor,
  type OrderBookEvents,
  type OrderBookOptions,
  type OrderRemovedEvent,
  type OrderUpdatedEvent,
  type RefreshSummary,
} from "./OrderBook.ts";
export { OrderIntake, type IngestOutcome, type OrderIntakeOptions, type OrderSubmission } from "./OrderIntake.ts";
export { intakeErrors, INTAKE_ERROR_CODES, type IntakeErrorCode } from "./intakeErrors.ts";
export {
  ContractOrderState,
  MAX_STAKE_RATIO_BPS,
  type AssetKind,
  type ContractOrderStateOptions,
  type OrderChainState,
} from "./chainState.ts";
export { OrderDigester } from "./orderDigester.ts";
export { ORDER_SCHEMAS, MAX_PARAMS_LENGTH, parsePublishBody, describeIssues, type PublishBody } from "./orderSchemas.ts";
export { requestCostPerTask, stakePerTask } from "./orderTerms.ts";
export {
  OrderUnpublisher,
  orderNotFound,
  type OrderUnpublisherOptions,
} from "./unpublish.ts";

/** Entities of the book tables, for openDataSource. */
export const bookEntities = [BookOrderEntity];
/** Every migration of the book tables, oldest first. */
export const bookMigrations = [CreateBookOrders1795426066200];
