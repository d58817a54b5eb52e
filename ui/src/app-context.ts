// Session-wide context: the signed-in user, navigation and the shared error handler (lock on `locked`).
import { createContext, useContext } from "react";
import { toCommandError } from "./api/commands";
import type { AppStatus, CommandError, Screen, UserInfo } from "./api/types";

/** What the window shows: a screen of the menu, or one case. */
export type View = { name: Screen } | { name: "case"; id: string; breakGlassReason?: string };

export interface AppContextValue {
  status: AppStatus | null;
  user: UserInfo | null;
  navigate: (view: View) => void;
  /**
   * Turns a thrown value into a CommandError to show, or null when it was handled here
   * (a `locked` error drops the session and shows sign-in).
   */
  handleError: (e: unknown) => CommandError | null;
}

export const AppContext = createContext<AppContextValue>({
  status: null,
  user: null,
  navigate: () => {},
  handleError: (e) => toCommandError(e),
});

export function useApp(): AppContextValue {
  return useContext(AppContext);
}
