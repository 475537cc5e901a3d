import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, Ok, paged } from '../../../contracts/common.ts';
import {
  CreateRoleRequest,
  CreateUserRequest,
  CreateUserResponse,
  ListUsersQuery,
  ResetPasswordResponse,
  Role,
  RoleCodeParams,
  UpdateRoleRequest,
  UpdateUserRequest,
  User,
  UserVersionRequest,
} from '../../../contracts/users.ts';
import type { Deps } from '../../deps.ts';
import { requireCtx } from '../../http/auth.ts';
import * as service from './users.service.ts';

const userTags = ['用户'];
const roleTags = ['角色'];

export const userRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/users',
      { schema: { tags: userTags, summary: '用户列表（分页；按关键字、单位含下级、角色、状态）', querystring: ListUsersQuery, response: { 200: paged(User) } } },
      async (req) => service.listUsers(deps, requireCtx(req), req.query),
    );
    app.get('/api/users/:id', { schema: { tags: userTags, summary: '用户详情', params: IdParams, response: { 200: User } } }, async (req) =>
      service.getUser(deps, requireCtx(req), req.params.id),
    );
    app.post(
      '/api/users',
      {
        schema: {
          tags: userTags,
          summary: '新增用户（未给初始密码时自动生成，仅在本次响应中返回一次）',
          body: CreateUserRequest,
          response: { 200: CreateUserResponse },
        },
      },
      async (req) => service.createUser(deps, requireCtx(req), req.body),
    );
    app.patch(
      '/api/users/:id',
      { schema: { tags: userTags, summary: '修改用户（姓名、手机号、单位、角色；带 version 乐观锁）', params: IdParams, body: UpdateUserRequest, response: { 200: User } } },
      async (req) => service.updateUser(deps, requireCtx(req), req.params.id, req.body),
    );
    app.post(
      '/api/users/:id/reset-password',
      { schema: { tags: userTags, summary: '重置密码：返回一次性临时密码，结束其全部会话', params: IdParams, response: { 200: ResetPasswordResponse } } },
      async (req) => service.resetPassword(deps, requireCtx(req), req.params.id),
    );
    app.post(
      '/api/users/:id/disable',
      { schema: { tags: userTags, summary: '停用用户（结束其全部会话，保留历史）', params: IdParams, body: UserVersionRequest, response: { 200: User } } },
      async (req) => service.setUserActive(deps, requireCtx(req), req.params.id, req.body.version, false),
    );
    app.post(
      '/api/users/:id/enable',
      { schema: { tags: userTags, summary: '重新启用用户', params: IdParams, body: UserVersionRequest, response: { 200: User } } },
      async (req) => service.setUserActive(deps, requireCtx(req), req.params.id, req.body.version, true),
    );
    app.post(
      '/api/users/:id/unlock',
      { schema: { tags: userTags, summary: '解除登录失败锁定', params: IdParams, response: { 200: User } } },
      async (req) => service.unlockUser(deps, requireCtx(req), req.params.id),
    );

    app.get('/api/roles', { schema: { tags: roleTags, summary: '角色列表（含管辖范围内的用户数）', response: { 200: z.array(Role) } } }, async (req) =>
      service.listRoles(deps, requireCtx(req)),
    );
    app.post('/api/roles', { schema: { tags: roleTags, summary: '新增角色', body: CreateRoleRequest, response: { 200: Role } } }, async (req) =>
      service.createRole(deps, requireCtx(req), req.body),
    );
    app.patch(
      '/api/roles/:code',
      { schema: { tags: roleTags, summary: '修改角色（名称、说明、权限；带 version 乐观锁）', params: RoleCodeParams, body: UpdateRoleRequest, response: { 200: Role } } },
      async (req) => service.updateRole(deps, requireCtx(req), req.params.code, req.body),
    );
    app.delete(
      '/api/roles/:code',
      { schema: { tags: roleTags, summary: '删除角色（系统角色与仍有用户持有的角色不能删除）', params: RoleCodeParams, response: { 200: Ok } } },
      async (req) => {
        await service.deleteRole(deps, requireCtx(req), req.params.code);
        return { ok: true as const };
      },
    );
  };
