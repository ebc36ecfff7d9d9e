import { WorkflowsList } from '../../components/pages/workflows-list';

export const metadata = { title: 'Workflows · Course' };

export default function WorkflowsPage() {
  return <WorkflowsList />;
}
