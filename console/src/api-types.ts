// The shapes the API answers with (see the README's API section). Money is integer cents.

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export type Role = 'customer' | 'admin';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
}

/** POST /api/auth/login and /api/auth/refresh; the refresh token itself is in an HttpOnly cookie. */
export interface TokenReply {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds. */
  expiresIn: number;
}

export interface Product {
  id: string;
  name: string;
  description: string | null;
  priceCents: number;
  stock: number;
  createdAt: string;
  updatedAt: string;
}

interface OrderItem {
  productId: string;
  name: string;
  quantity: number;
  unitPriceCents: number;
  lineTotalCents: number;
}

export interface Order {
  id: string;
  userId: string;
  status: string;
  totalCents: number;
  createdAt: string;
  items: OrderItem[];
}

/** One thing wrong with a request: every error's `details` is a list of these. */
export interface Problem {
  field?: string;
  message: string;
  productId?: string;
  requested?: number;
  available?: number;
}

export interface ApiError {
  code: string;
  message: string;
  requestId?: string;
  details?: Problem[];
}
