import { z } from 'zod';

/**
 * Canonical dossier statuses (trạng thái hồ sơ) and their national portal codes
 * (TrangThaiHoSo 1–10, docs/domain.md).
 */
export const STATUS_CODES = {
  registered: 1,
  received: 2,
  not_accepted: 3,
  processing: 4,
  supplement_requested: 5,
  payment_requested: 6,
  withdrawn: 7,
  suspended: 8,
  resolved: 9,
  returned: 10,
} as const;

export type Status = keyof typeof STATUS_CODES;
export const STATUSES = Object.keys(STATUS_CODES) as [Status, ...Status[]];
export const statusSchema = z.enum(STATUSES);

/** Each status's name in the national portal's table (TrangThaiHoSo 1–10): what the portal and the console show. */
export const STATUS_NAMES: Record<Status, string> = {
  registered: 'Mới đăng ký',
  received: 'Được tiếp nhận',
  not_accepted: 'Không được tiếp nhận',
  processing: 'Đang xử lý',
  supplement_requested: 'Yêu cầu bổ sung giấy tờ',
  payment_requested: 'Yêu cầu thực hiện nghĩa vụ tài chính',
  withdrawn: 'Công dân yêu cầu rút hồ sơ',
  suspended: 'Dừng xử lý',
  resolved: 'Đã xử lý xong',
  returned: 'Đã trả kết quả',
};

export function statusCode(status: Status): number {
  return STATUS_CODES[status];
}

export function isStatus(value: unknown): value is Status {
  return typeof value === 'string' && Object.hasOwn(STATUS_CODES, value);
}

const WORKING: Status[] = ['processing', 'supplement_requested', 'payment_requested', 'suspended', 'resolved', 'withdrawn'];

/** The moves the contract allows (docs/domain.md, "Moves"). */
export const TRANSITIONS: Readonly<Record<Status, readonly Status[]>> = {
  registered: ['received', 'not_accepted', 'withdrawn'],
  received: [...WORKING, 'not_accepted'],
  processing: WORKING,
  supplement_requested: WORKING,
  payment_requested: WORKING,
  suspended: ['processing', 'returned'],
  resolved: ['returned'],
  not_accepted: [],
  withdrawn: [],
  returned: [],
};

export function canTransition(from: Status, to: Status): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isFinal(status: Status): boolean {
  return TRANSITIONS[status].length === 0;
}

/** Delivery states of one operation sent to a department. `failed` needs an operator. */
export const DELIVERY_STATES = ['pending', 'delivering', 'delivered', 'failed', 'cancelled'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];
