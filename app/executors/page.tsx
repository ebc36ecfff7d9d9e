import { Executors } from '../../components/pages/executors';

export const metadata = { title: 'Executors · Course' };

export default function ExecutorsPage() {
  return <Executors />;
}
