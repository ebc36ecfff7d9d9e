import { Dashboard } from '../components/pages/dashboard';

export const metadata = { title: 'Dashboard · Course' };

export default function Home() {
  return <Dashboard />;
}
