import { createContext } from '@lit/context';
import type { ApiClient } from '../api/api-client.js';
import type { SessionStore } from '../session/session-store.js';
import type { PortalConfig } from './portal-config.js';

// Symbols keep two copies of the script (a page may load it twice) from answering each other.
export const apiClientContext = createContext<ApiClient | undefined>(Symbol('tp-api-client'));
export const sessionStoreContext = createContext<SessionStore | undefined>(Symbol('tp-session-store'));
export const portalConfigContext = createContext<PortalConfig | undefined>(Symbol('tp-portal-config'));
