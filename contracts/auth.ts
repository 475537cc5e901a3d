import { z } from 'zod';

export const LoginRequest = z.object({
  username: z.string().trim().min(1, '请输入用户名或手机号').max(64),
  password: z.string().min(1, '请输入密码').max(128),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const Me = z.object({
  user: z.object({
    id: z.string(),
    username: z.string(),
    name: z.string(),
    phoneMasked: z.string().nullable(),
    mustChangePassword: z.boolean(),
  }),
  unit: z.object({ id: z.string(), name: z.string(), kind: z.string(), path: z.array(z.string()) }),
  roles: z.array(z.object({ code: z.string(), name: z.string() })),
  permissions: z.array(z.string()),
  csrfToken: z.string(),
  isDemo: z.boolean(),
});
export type Me = z.infer<typeof Me>;

export const ChangePasswordRequest = z.object({
  oldPassword: z.string().min(1, '请输入原密码'),
  newPassword: z.string().min(1, '请输入新密码').max(128),
});
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;
