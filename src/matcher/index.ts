// The matcher: an in-memory book of open orders, the lookup of a request's cheapest compatible
// offers, and the loop that sends each match on-chain.
export { MatchingBook, type BookMatch, type MatchContext } from "./MatchingBook.ts";
export { Matcher, MatcherError, type MatcherOptions, type MatchedEvent, type RefusedEvent, type RoundFailedEvent, type RoundResult } from "./Matcher.ts";
export { continuumMatcherChain, type MatcherChain } from "./matcherChain.ts";
export {
  MatchSender,
  MatchSendError,
  decodeRefusal,
  matchHashesOf,
  matchKeyOf,
  type MatchHashes,
  type MatchOrdersInput,
  type MatchSenderOptions,
  type SendOutcome,
} from "../chain/matchSender.ts";
