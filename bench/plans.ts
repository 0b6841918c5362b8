export interface QueryPlan {
  request: string;
  statement: string;
  plan: string[];
}
export async function groupQueryPlans(): Promise<QueryPlan[]> {
  return [];
}
export function printPlans(_plans: QueryPlan[]): void {}
