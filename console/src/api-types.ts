// The shapes the API answers with (see the README's API section). Money is integer cents.

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface User {
  id: string;
  email: string;
  name: string;
  createdAt: string;
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
