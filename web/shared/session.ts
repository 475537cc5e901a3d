import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Me } from '../../contracts/auth.ts';
import type { Permission } from '../../contracts/permissions.ts';
import { ApiError, get, post } from './api.ts';

export function useMe() {
  return useQuery<Me | null>({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        return await get<Me>('/api/auth/me');
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
  });
}

export const can = (me: Me | null | undefined, p: Permission): boolean => !!me?.permissions.includes(p);

export function useLogout() {
  const qc = useQueryClient();
  return async () => {
    await post('/api/auth/logout').catch(() => undefined);
    qc.clear();
    qc.setQueryData(['me'], null);
  };
}
