export {
  AccountService,
  ACCOUNT_LIMIT,
  credentialsContext,
  type AccountCredentials,
  type AccountRole,
  type AccountView,
  type CreateAccountInput,
  type Platform,
  type UpdateAccountInput,
} from "./account.service.ts";
